// Undo what the demo started, newest first, exactly once: on success, on failure and on Ctrl-C.

export class Cleanup {
  private readonly tasks: { name: string; undo: () => unknown }[] = [];
  private running: Promise<void> | undefined;

  add(name: string, undo: () => unknown): void {
    this.tasks.push({ name, undo });
  }

  run(): Promise<void> {
    this.running ??= (async () => {
      for (const task of this.tasks.splice(0).reverse()) {
        try {
          await task.undo();
        } catch (error) {
          process.stderr.write(`cleanup: ${task.name}: ${(error as Error).message}\n`);
        }
      }
      this.running = undefined;
    })();
    return this.running;
  }
}
