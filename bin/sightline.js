#!/usr/bin/env node
// Installed entry: the command line as built by `npm run build` (out/main/cli.js).
import '../out/main/cli.js'
