import { describe, expect, it } from 'vitest';
import { usageOf } from './usage';

describe('usageOf', () => {
  it('reads a usage event and rejects data of another shape', () => {
    expect(usageOf({ inputTokens: 1, outputTokens: 2, cachedTokens: 3, costUsd: 0.5 })).toEqual({ inputTokens: 1, outputTokens: 2, cachedTokens: 3, costUsd: 0.5 });
    expect(usageOf({ inputTokens: 1, outputTokens: 2 })).toEqual({ inputTokens: 1, outputTokens: 2, cachedTokens: 0, costUsd: null });
    expect(usageOf({ inputTokens: '1', outputTokens: 2 })).toBeNull();
    expect(usageOf({ inputTokens: -1, outputTokens: 2 })).toBeNull();
    expect(usageOf(undefined)).toBeNull();
  });
});
