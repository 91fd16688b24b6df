/**
 * How an operation documents the errors it answers: each as `application/problem+json` with the
 * ProblemDetails schema, which is what the API sends (http/problem.filter.ts). Generated clients
 * and contract testers (schemathesis) can then check error bodies too.
 */
import { STATUS_CODES } from 'node:http';
import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { PROBLEM_CONTENT_TYPE } from './problem.js';
import { ProblemDetailsDto } from './problem.dto.js';

/** The content of every problem response, for documents assembled by hand too. */
export const problemContent = () => ({
  [PROBLEM_CONTENT_TYPE]: { schema: { $ref: getSchemaPath(ProblemDetailsDto) } },
});

/** Documents one error status of an operation (or of every operation of a controller). */
export const ApiProblem = (status: number, description = STATUS_CODES[status] ?? 'Error') =>
  applyDecorators(ApiExtraModels(ProblemDetailsDto), ApiResponse({ status, description, content: problemContent() }));
