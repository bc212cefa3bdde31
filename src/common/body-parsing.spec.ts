import { ApiError } from './api-error.js';
import { MAX_DEPTH, parseJsonText } from './body-parsing.js';

function fault(text: string): string | undefined {
  try {
    parseJsonText(text);
    return undefined;
  } catch (error) {
    return error instanceof ApiError ? error.body.error_description : String(error);
  }
}

describe('parseJsonText', () => {
  it('reads objects and arrays; an empty body is {}', () => {
    expect(parseJsonText('{"name":"a"}')).toEqual({ name: 'a' });
    expect(parseJsonText(' [1, 2]')).toEqual([1, 2]);
    expect(parseJsonText('')).toEqual({});
    expect(parseJsonText('\ufeff{"a":1}')).toEqual({ a: 1 });
  });

  it('refuses scalars and malformed text as not JSON', () => {
    for (const text of ['"a"', '12', 'null', '{"a":', 'name=a']) expect(fault(text)).toBe('The request body is not valid JSON.');
  });

  it(`refuses nesting deeper than ${MAX_DEPTH} levels, counting brackets outside strings only`, () => {
    const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);
    expect(fault(nested(MAX_DEPTH))).toBeUndefined();
    expect(fault(nested(MAX_DEPTH + 1))).toMatch(/nests deeper than/);
    expect(fault(nested(200_000))).toMatch(/nests deeper than/);
    expect(fault(`{"name":"${'['.repeat(100)}\\"${'{'.repeat(100)}"}`)).toBeUndefined();
  });

  it('refuses keys that would poison a prototype, however they are spelt, and nothing else', () => {
    for (const text of [
      '{"__proto__":{"admin":true}}',
      '{"a":{"__proto__":{"x":1}}}',
      '{"\\u005f_proto__":{"x":1}}',
      '{"constructor":{"prototype":{"x":1}}}',
      '[{"__proto__":null}]',
    ]) {
      expect(() => parseJsonText(text)).toThrow('The request body has a __proto__ or constructor.prototype key, which is not accepted.');
    }
    expect(parseJsonText('{"constructor":"fine","name":"__proto__"}')).toEqual({ constructor: 'fine', name: '__proto__' });
    expect(() => parseJsonText('{"__proto__":')).toThrow('The request body is not valid JSON.');
  });
});
