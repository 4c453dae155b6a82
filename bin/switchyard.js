#!/usr/bin/env node
// The compiled CLI (built into dist/ by `npm install` / `npm run build`).
import '../dist/main.js';
