import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/paths.js';

/** The layer rules are only worth having if they fire: lint small files placed in each layer. */
async function lint(filePath: string, code: string): Promise<string[]> {
  const eslint = new ESLint({ cwd: repoRoot });
  const [result] = await eslint.lintText(code, { filePath: `${repoRoot}${filePath}` });
  return (result?.messages ?? []).filter((m) => /restricted/.test(m.ruleId ?? '')).map((m) => m.message);
}

describe('the layer import rules', () => {
  it('forbid electron outside main/shell and preload', async () => {
    expect(await lint('main/core/probe-lint.ts', "import { app } from 'electron';\nexport const a = app;\n")).toHaveLength(1);
    expect(await lint('main/cli/probe-lint.ts', "import { app } from 'electron';\nexport const a = app;\n")).toHaveLength(1);
    expect(await lint('main/shell/probe-lint.ts', "import { app } from 'electron';\nexport const a = app;\n")).toEqual([]);
    expect(await lint('preload/probe-lint.ts', "import { ipcRenderer } from 'electron';\nexport const a = ipcRenderer;\n")).toEqual([]);
  });

  it('forbid main/core from importing a face', async () => {
    expect(await lint('main/core/probe-lint.ts', "import { main } from '../cli/index.js';\nexport const a = main;\n")).toHaveLength(1);
  });

  it('let the renderer import only types from main/core/api.ts', async () => {
    const typeOnly = "import type { ServerView } from '../../main/core/api';\nexport type A = ServerView;\n";
    const value = "import { methods } from '../../main/core/api';\nexport const a = methods;\n";
    const deeper = "import type { Settings } from '../../main/core/settings/store';\nexport type A = Settings;\n";
    expect(await lint('renderer/src/probe-lint.ts', typeOnly)).toEqual([]);
    expect((await lint('renderer/src/probe-lint.ts', value)).length).toBeGreaterThan(0);
    expect((await lint('renderer/src/probe-lint.ts', deeper)).length).toBeGreaterThan(0);
  });
});
