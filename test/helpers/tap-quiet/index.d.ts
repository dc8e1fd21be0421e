export declare const plugin: (t: unknown, opts?: { context?: unknown }) => object
