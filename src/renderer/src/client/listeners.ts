/** A set of listeners where one listener's exception never stops the others. */
export class Listeners<A extends unknown[]> {
  private readonly set = new Set<(...args: A) => void>();

  add(listener: (...args: A) => void): () => void {
    // Wrapped, so that adding the same function twice gives two independent subscriptions.
    const entry = (...args: A) => listener(...args);
    this.set.add(entry);
    return () => {
      this.set.delete(entry);
    };
  }

  emit(...args: A): void {
    for (const listener of [...this.set]) {
      try {
        listener(...args);
      } catch (e) {
        console.error('switchyard client: a listener failed:', e);
      }
    }
  }

  get size(): number {
    return this.set.size;
  }
}
