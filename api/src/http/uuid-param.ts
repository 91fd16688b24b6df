/**
 * A path parameter that must be a UUID: ParseUUIDPipe refuses anything else with a 400, and the
 * OpenAPI document gives it the uuid format. One decorator sets both, so they cannot drift apart.
 */
import { HttpStatus, Param, ParseUUIDPipe } from '@nestjs/common';
import { ApiParam } from '@nestjs/swagger';

const uuid = new ParseUUIDPipe({ errorHttpStatusCode: HttpStatus.BAD_REQUEST });

/** Any UUID PostgreSQL reads, in either case: for ids that arrive other than as a route's `:id`. */
export const UUID_PATTERN = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';
const UUID = new RegExp(UUID_PATTERN);
export const isUuid = (value: string): boolean => UUID.test(value);

/** The route's `:name` segment as a UUID; `example` is what the document shows. */
export function UuidParam(name: string, example: string): ParameterDecorator {
  return (target, method, index) => {
    Param(name, uuid)(target, method, index);
    // A parameter decorator sees no method descriptor; the document's one is read off the prototype.
    const descriptor = method === undefined ? undefined : Object.getOwnPropertyDescriptor(target, method);
    if (method === undefined || !descriptor) throw new Error('@UuidParam() belongs on a route handler parameter');
    ApiParam({ name, format: 'uuid', example })(target, method, descriptor);
  };
}
