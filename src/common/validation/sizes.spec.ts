import { MAX_BYTES, parseSize } from './sizes.js';

describe('parseSize', () => {
  it.each([
    [150, 150n],
    ['150', 150n],
    [1, 1n],
    ['1', 1n],
    ['0150', 150n],
    [Number.MAX_SAFE_INTEGER, BigInt(Number.MAX_SAFE_INTEGER)],
    ['9007199254740993', 9007199254740993n],
    [MAX_BYTES.toString(), MAX_BYTES],
  ])('reads %j as %s bytes', (input, expected) => {
    expect(parseSize(input)).toBe(expected);
  });

  it.each([
    ['zero', 0],
    ['zero as a string', '0'],
    ['negative', -5],
    ['negative string', '-5'],
    ['fraction', 1.5],
    ['unsafe integer (precision lost)', 2 ** 53 + 2],
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['exponent string', '1e3'],
    ['decimal string', '1.0'],
    ['padded string', ' 5'],
    ['plus sign', '+5'],
    ['hex string', '0x10'],
    ['empty string', ''],
    ['beyond bigint', (MAX_BYTES + 1n).toString()],
    ['twenty digits', '1'.repeat(20)],
    ['boolean', true],
    ['null', null],
    ['undefined', undefined],
    ['array', [5]],
    ['object', { size: 5 }],
    ['bigint', 5n],
  ])('refuses %s', (_, input) => {
    expect(parseSize(input)).toBeNull();
  });
});
