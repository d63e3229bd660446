// Observable Plot (0.6.17) behind one module, so that the charts load it on first use as its own
// chunk (`plot-*.js` in dist/assets, about 378 kB, 127 kB gzipped) rather than in the app's entry.

export * from '@observablehq/plot';
