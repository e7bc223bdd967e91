import { isPositiveDuration, parseDuration } from './duration';

describe('parseDuration', () => {
  it.each([
    ['90s', 90_000],
    ['30m', 1_800_000],
    ['4h', 14_400_000],
    ['1h30m', 5_400_000],
    ['2d', 172_800_000],
    ['1d2h3m4s', 93_784_000],
    ['0h', 0],
  ])('%s is %d ms', (text, ms) => expect(parseDuration(text)).toBe(ms));

  it.each(['', 'h', '4', '4 hours', '-1h', '1.5h', '30m1h'])('rejects %p', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });

  it('treats zero as not positive', () => {
    expect(isPositiveDuration('0m')).toBe(false);
    expect(isPositiveDuration('1s')).toBe(true);
  });
});
