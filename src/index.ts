import { run } from './main.js';

// The bundle's entry: GitHub runs dist/index.js, which only starts run().
void run();
