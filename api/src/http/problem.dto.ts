import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class FieldErrorDto {
  @ApiProperty({ example: 'email', description: 'Dotted path of the invalid field' })
  field!: string;

  @ApiProperty({ example: '/email', description: 'JSON Pointer (RFC 6901) into the request body' })
  pointer!: string;

  @ApiProperty({ example: 'email must be an email' })
  detail!: string;
}

/** RFC 9457 problem details, the body of every error answer (`application/problem+json`). */
export class ProblemDetailsDto {
  @ApiProperty({ example: 'about:blank' })
  type!: string;

  @ApiProperty({ example: 'Bad Request' })
  title!: string;

  @ApiProperty({ example: 400 })
  status!: number;

  @ApiPropertyOptional({ example: 'The request is invalid; see errors for each field.' })
  detail?: string;

  @ApiPropertyOptional({ example: '/api/v1/users/me', description: 'The path that was requested' })
  instance?: string;

  @ApiPropertyOptional({ example: '0b4f4c1e-8a4e-4a52-9d51-7a3c3b8f0e11', description: 'Also sent as X-Request-Id' })
  requestId?: string;

  @ApiPropertyOptional({ type: [FieldErrorDto], description: 'Present on validation errors' })
  errors?: FieldErrorDto[];
}
