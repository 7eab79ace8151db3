import { describe, expect, it } from 'vitest';
import { parseProgress } from '../../main/core/servers/progress.js';

describe('job progress from output', () => {
  it.each([
    [' 37%|███▋      | 370/1000 [00:12<00:20, 30.1it/s]', 0.37, '37%'],
    ['step 120/1000 loss=2.31', 0.12, 'step 120/1000'],
    ['Epoch 3/10', 0.3, 'epoch 3/10'],
    ['epoch 1/1 step 5/20 lr=3e-4', 0.25, 'step 5/20'],
    ['iter 5 of 20', 0.25, 'iter 5/20'],
    ['  0%|          | 0/50\r 50%|█████     | 25/50', 0.5, '50%'],
  ])('%s', (line, fraction, text) => {
    expect(parseProgress(line)).toEqual({ fraction, text });
  });

  it('says nothing when a line carries no progress', () => {
    expect(parseProgress('loading checkpoint from runs/3/10')).toBeNull();
    expect(parseProgress('step 3/0')).toBeNull();
    expect(parseProgress('Uvicorn running on http://127.0.0.1:8000')).toBeNull();
  });

  it('clamps to [0, 1]', () => {
    expect(parseProgress('step 12/10')?.fraction).toBe(1);
  });
});
