import { METHODS } from 'node:http';
import { createRequire } from 'node:module';

/** The callbacks Node's parser calls, by the slot numbers it exports. */
export interface NativeParser {
  initialize(type: number, resource: object, maxHeaderSize: number, lenient: number): void;
  /** Bytes parsed, or the parse error (code `HPE_…`). An upgrade stops it early: the rest is the new protocol's. */
  execute(data: Buffer): number | Error;
  free(): void;
  [slot: number]: unknown;
}

export interface ParserBinding {
  new (): NativeParser;
  REQUEST: number;
  kOnMessageBegin: number;
  kOnHeaders: number;
  kOnHeadersComplete: number;
  kOnBody: number;
  kOnMessageComplete: number;
}

export interface Llhttp {
  Parser: ParserBinding;
  /** Method names by the number the parser reports; a number not in it is refused. */
  methods: ReadonlyMap<number, string>;
}

/**
 * Node's own llhttp binding — the parser node:http itself runs, with the same strictness
 * (no lenient flags: conflicting lengths, bad chunk sizes and obs-fold are refused, so
 * request smuggling gets no further here than through node:http). It is reached through
 * `_http_common`, which Node documents as internal (DEP0199, documentation-only): if a
 * runtime ever lacks it or changes its shape, this returns null and the gateway serves with
 * node:http instead — slower, never broken.
 */
export function loadLlhttp(): Llhttp | null {
  try {
    const common = createRequire(import.meta.url)('_http_common') as { HTTPParser?: unknown };
    const Parser = common.HTTPParser as ParserBinding | undefined;
    if (typeof Parser !== 'function') return null;
    const slots = [Parser.kOnMessageBegin, Parser.kOnHeaders, Parser.kOnHeadersComplete, Parser.kOnBody, Parser.kOnMessageComplete];
    if (slots.some((s) => typeof s !== 'number') || typeof Parser.REQUEST !== 'number') return null;
    const methods = methodNumbers(Parser);
    // The parser must at least tell the methods the pipeline's checks depend on.
    if (!['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'].every((m) => [...methods.values()].includes(m))) return null;
    return { Parser, methods };
  } catch {
    return null;
  }
}

/**
 * Which number the parser reports for each method, asked of the parser itself: its own
 * exported name list is not indexed by that number for every method (QUERY is 46 in llhttp, 35th
 * in the list), and a method read wrong could pass the Origin check as a GET.
 */
function methodNumbers(Parser: ParserBinding): Map<number, string> {
  const found = new Map<number, string>();
  for (const method of METHODS) {
    const parser = new Parser();
    parser.initialize(Parser.REQUEST, {}, 1024, 0);
    parser[Parser.kOnHeadersComplete] = (_major: number, _minor: number, _headers: unknown, number: number): number => {
      found.set(number, method);
      return 1;
    };
    parser.execute(Buffer.from(`${method} / HTTP/1.1\r\nHost: probe\r\n\r\n`, 'latin1'));
    parser.free();
  }
  return found;
}
