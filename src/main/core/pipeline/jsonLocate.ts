// A strict JSON reader that knows where things are: the line and column of a syntax error, and
// where the value of each JSON path starts, so an error in a config file can point at the spot.
// Values come from JSON.parse; this reader only validates and records positions.

export interface JsonPosition {
  offset: number;
  /** 1-based. */
  line: number;
  /** 1-based, in characters. */
  column: number;
}

export class JsonSyntaxError extends Error {
  constructor(
    readonly problem: string,
    readonly position: JsonPosition,
  ) {
    super(`line ${position.line} column ${position.column}: ${problem}`);
  }
}

export type JsonPath = readonly PropertyKey[];

export interface LocatedJson {
  value: unknown;
  /** Where the value at `path` starts; for a path that does not exist, its nearest existing ancestor. */
  positionOf(path: JsonPath): JsonPosition;
}

const pathKey = (path: JsonPath) => JSON.stringify(path.map((p) => (typeof p === 'number' ? p : String(p))));

export function positionAt(text: string, offset: number): JsonPosition {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { offset, line, column: offset - lineStart + 1 };
}

/** Parses `text` as JSON (a leading byte order mark is allowed); throws JsonSyntaxError. */
export function parseLocatedJson(text: string): LocatedJson {
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const shift = text.length - src.length;
  const starts = new Map<string, number>();
  let i = 0;

  const fail = (problem: string, at = i): never => {
    throw new JsonSyntaxError(problem, positionAt(text, at + shift));
  };
  const describe = (at: number) => (at >= src.length ? 'end of file' : `${JSON.stringify(src[at])}`);
  const ws = () => {
    while (i < src.length) {
      const c = src.charCodeAt(i);
      if (c === 32 || c === 9 || c === 10 || c === 13) i++;
      else break;
    }
  };
  const string = (): string => {
    const start = i;
    i++; // opening quote
    for (;;) {
      if (i >= src.length) fail('unterminated string', start);
      const c = src.charCodeAt(i);
      if (c === 34) break;
      if (c < 32) fail('control character in a string (write it as an escape such as \\n)');
      if (c === 92) {
        const e = src[i + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(src.slice(i + 2, i + 6))) fail('invalid \\u escape: four hex digits expected');
          i += 6;
          continue;
        }
        if (e === undefined || !'"\\/bfnrt'.includes(e)) fail(`invalid escape \\${e ?? ''}`);
        i += 2;
        continue;
      }
      i++;
    }
    i++; // closing quote
    return JSON.parse(src.slice(start, i)) as string;
  };
  const value = (path: PropertyKey[]): void => {
    ws();
    starts.set(pathKey(path), i);
    const c = src[i];
    if (c === '{') return object(path);
    if (c === '[') return array(path);
    if (c === '"') {
      string();
      return;
    }
    const rest = src.slice(i);
    const literal = /^(true|false|null)/.exec(rest);
    if (literal) {
      i += literal[0].length;
      return;
    }
    const number = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(rest);
    if (number && number[0] !== '-') {
      i += number[0].length;
      return;
    }
    if (c === "'") fail('strings must use double quotes');
    fail(`unexpected ${describe(i)}: a value (object, array, string, number, true, false or null) was expected`);
  };
  const object = (path: PropertyKey[]): void => {
    i++;
    const keys = new Set<string>();
    ws();
    if (src[i] === '}') {
      i++;
      return;
    }
    for (;;) {
      ws();
      if (src[i] === '}') fail('trailing comma before "}"');
      if (src[i] !== '"') fail(`unexpected ${describe(i)}: a property name in double quotes was expected`);
      const keyAt = i;
      const key = string();
      if (keys.has(key)) fail(`duplicate key ${JSON.stringify(key)}`, keyAt);
      keys.add(key);
      ws();
      if (src[i] !== ':') fail(`unexpected ${describe(i)}: ":" was expected after the property name ${JSON.stringify(key)}`);
      i++;
      value([...path, key]);
      ws();
      if (src[i] === ',') {
        i++;
        continue;
      }
      if (src[i] === '}') {
        i++;
        return;
      }
      fail(`unexpected ${describe(i)}: "," or "}" was expected`);
    }
  };
  const array = (path: PropertyKey[]): void => {
    i++;
    ws();
    if (src[i] === ']') {
      i++;
      return;
    }
    for (let n = 0; ; n++) {
      ws();
      if (src[i] === ']') fail('trailing comma before "]"');
      value([...path, n]);
      ws();
      if (src[i] === ',') {
        i++;
        continue;
      }
      if (src[i] === ']') {
        i++;
        return;
      }
      fail(`unexpected ${describe(i)}: "," or "]" was expected`);
    }
  };

  ws();
  if (i >= src.length) fail('the file is empty; it should hold a JSON object');
  value([]);
  ws();
  if (i < src.length) fail(`unexpected ${describe(i)} after the end of the JSON value`);

  const parsed: unknown = JSON.parse(src);
  return {
    value: parsed,
    positionOf(path) {
      for (let n = path.length; n >= 0; n--) {
        const at = starts.get(pathKey(path.slice(0, n)));
        if (at !== undefined) return positionAt(text, at + shift);
      }
      return positionAt(text, shift);
    },
  };
}

/** `pipelines.default.stages[2].run` */
export function formatJsonPath(path: JsonPath): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else {
      const s = String(p);
      out += /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(s) ? (out ? `.${s}` : s) : `[${JSON.stringify(s)}]`;
    }
  }
  return out || '(top level)';
}
