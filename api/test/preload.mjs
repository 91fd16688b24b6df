// Jest links a test file's whole ESM graph before evaluating it, and evaluates CommonJS
// dependencies while linking. @nestjs/throttler is CommonJS and require()s the ESM
// @nestjs/common, which Jest refuses until that module has been evaluated. Loading it here,
// before any test file, gives it that state.
import '@nestjs/common';
import '@nestjs/core';
