import { describe, expect, it } from 'vitest';
import { formatCost, formatTokens, usageDetail, usageLine, usageSummary } from './format';

describe('formatCost', () => {
  it('shows four decimals under a dollar and cents from a dollar up', () => {
    expect(formatCost(0.0123)).toBe('$0.0123');
    expect(formatCost(0.12345)).toBe('$0.1235');
    expect(formatCost(1.234)).toBe('$1.23');
    expect(formatCost(1234.5)).toBe('$1,234.50');
  });
  it('never shows a tiny cost as zero, and shows nonsense as a dash', () => {
    expect(formatCost(0)).toBe('$0.00');
    expect(formatCost(0.00004)).toBe('<$0.0001');
    expect(formatCost(-1)).toBe('—');
    expect(formatCost(Number.NaN)).toBe('—');
  });
});

describe('formatTokens', () => {
  it('keeps three significant figures with a unit', () => {
    expect(formatTokens(0)).toBe('0');
    expect(formatTokens(950)).toBe('950');
    expect(formatTokens(1000)).toBe('1k');
    expect(formatTokens(12_345)).toBe('12.3k');
    expect(formatTokens(123_456)).toBe('123k');
    expect(formatTokens(4_500_000)).toBe('4.5M');
  });
  it('rolls over to the next unit instead of printing 1000k', () => {
    expect(formatTokens(999_950)).toBe('1M');
    expect(formatTokens(999_499)).toBe('999k');
  });
});

describe('usageSummary', () => {
  const u = { inputTokens: 10_000, outputTokens: 2_345, cachedTokens: 50_000, costUsd: 0.0123 };
  it('puts the cost first, then the tokens sent and received', () => {
    expect(usageSummary(u)).toBe('$0.0123 · 12.3k tokens');
  });
  it('shows tokens alone when the CLI reports no cost', () => {
    expect(usageSummary({ ...u, costUsd: null })).toBe('12.3k tokens');
  });
  it('is null when nothing was counted (a text-only pipeline) or the usage is missing', () => {
    expect(usageSummary({ inputTokens: 0, outputTokens: 0, cachedTokens: 0, costUsd: null })).toBeNull();
    expect(usageSummary(undefined)).toBeNull();
  });
  it('shows a zero cost the CLI did report', () => {
    expect(usageSummary({ inputTokens: 0, outputTokens: 0, cachedTokens: 0, costUsd: 0 })).toBe('$0.00 · 0 tokens');
  });
  it('details every count and says when there is no cost', () => {
    expect(usageDetail(u)).toBe('10,000 input, 2,345 output, 50,000 cached tokens; cost $0.0123');
    expect(usageDetail({ ...u, costUsd: null })).toMatch(/cost not reported/);
  });
});

describe('usageLine', () => {
  it('writes exact counts and the cost by the same rule as the window', () => {
    expect(usageLine({ inputTokens: 1234, outputTokens: 56, cachedTokens: 7890, costUsd: 0.0123 })).toBe('Usage: 1,234 in · 56 out · 7,890 cached · $0.0123');
    expect(usageLine({ inputTokens: 1, outputTokens: 2, cachedTokens: 0, costUsd: 12.5 })).toBe('Usage: 1 in · 2 out · 0 cached · $12.50');
    expect(usageLine({ inputTokens: 1, outputTokens: 2, cachedTokens: 0, costUsd: null })).toBe('Usage: 1 in · 2 out · 0 cached');
  });
});
