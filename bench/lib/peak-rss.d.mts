// Types for peak-rss.mjs (plain JavaScript: the action probe preloads it as is).
export declare function peakRssMiB(): number;
