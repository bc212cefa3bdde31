import { isValidName, NAME_MAX_LENGTH } from './names.js';

describe('isValidName (Onezone name rule)', () => {
  it.each(
    [
      'ab',
      'a'.repeat(NAME_MAX_LENGTH),
      'My Private space',
      '(a)',
      '_',
      'a_b(c)d',
      'a.b',
      'a-b',
      'a b',
      'Zürich 2024',
      'Ελληνικά',
      'Кириллица',
      'العربية',
      '中文名字',
      'é',
      'e\u0301',
      '١٢',
    ].filter((n) => [...n].length >= 2),
  )('accepts %j', (name) => {
    expect(isValidName(name)).toBe(true);
  });

  it.each([
    ['too short', 'a'],
    ['too long by one', 'a'.repeat(NAME_MAX_LENGTH + 1)],
    ['empty', ''],
    ['leading space', ' a'],
    ['trailing space', 'a '],
    ['leading dot', '.a'],
    ['trailing dot', 'a.'],
    ['leading dash', '-a'],
    ['trailing dash', 'a-'],
    ['only inner characters', '..'],
    ['a slash', 'a/b'],
    ['a colon', 'a:b'],
    ['an at sign', 'a@b'],
    ['a tab', 'a\tb'],
    ['a non-breaking space', 'a\u00a0b'],
    ['a zero-width space', 'a\u200bb'],
    ['an emoji', 'ab😀'],
    ['a leading combining mark', '\u0301a'],
    ['a control character', 'a\u0000b'],
  ])('refuses %s', (_, name) => {
    expect(isValidName(name)).toBe(false);
  });

  it('counts code points: 128 astral letters pass, 129 fail', () => {
    expect(isValidName('𝒳'.repeat(128))).toBe(true);
    expect(isValidName('𝒳'.repeat(129))).toBe(false);
  });

  it.each([null, undefined, 12, ['ab'], { name: 'ab' }])('refuses the non-string %j', (value) => {
    expect(isValidName(value)).toBe(false);
  });
});
