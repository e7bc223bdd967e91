#!/usr/bin/env node
'use strict';
// `npm start` on a fresh clone: install what is missing, build, then run the local stack.
const path = require('node:path');
const { ensureDependencies, ensureTemporal, build, ROOT } = require('./lib/bootstrap');

ensureDependencies();
ensureTemporal();
build();
require(path.join(ROOT, 'dist', 'libs', 'devstack', 'src', 'launch.js'));
