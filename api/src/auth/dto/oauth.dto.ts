import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/**
 * The token endpoint's form and answers, for the OpenAPI document only: the form is read by
 * oauth-form.ts, since OAuth's field names and errors are not the global validation's.
 */
export class TokenRequestDto {
  @ApiProperty({ enum: ['password', 'refresh_token'], example: 'password' })
  grant_type!: string;
  @ApiPropertyOptional({ description: 'The account e-mail (password grant)', example: 'ada@example.com' })
  username?: string;
  @ApiPropertyOptional({
    description: 'The password (password grant)',
    format: 'password',
    example: 'Correct-Horse-Battery-9',
  })
  password?: string;
  @ApiPropertyOptional({
    description: 'The refresh token (refresh_token grant)',
    example: 'kq3J0x2bq8F1yq2rV8dG3l5mN6pQ7sT9uW0xY1zA2bC',
  })
  refresh_token?: string;
  @ApiPropertyOptional({
    description:
      'Space-separated scopes. Password grant: any of profile:read profile:write posts:write account (default: all ' +
      'four; `profile` alone means profile:read profile:write account, as before those were split). Refresh: a ' +
      'subset of what was granted.',
    example: 'profile:read posts:write',
  })
  scope?: string;
  @ApiPropertyOptional({ description: 'Accepted and ignored: every client is public', example: 'my-cli' })
  client_id?: string;
}

export class TokenResponseDto {
  @ApiProperty({ example: 'eyJhbGciOiJIUzI1NiIsInR5cCI6ImF0K2p3dCJ9…' }) access_token!: string;
  @ApiProperty({ example: 'Bearer' }) token_type!: string;
  @ApiProperty({ example: 900 }) expires_in!: number;
  @ApiProperty({ example: 'kq3J0x2bq8F1yq2rV8dG3l5mN6pQ7sT9uW0xY1zA2bC' }) refresh_token!: string;
  @ApiProperty({ example: 'profile:read posts:write' }) scope!: string;
}

export class OAuthErrorDto {
  @ApiProperty({
    enum: ['invalid_request', 'invalid_grant', 'unsupported_grant_type', 'invalid_scope', 'temporarily_unavailable'],
    example: 'invalid_grant',
  })
  error!: string;
  @ApiProperty({ example: 'the e-mail or the password is incorrect' }) error_description!: string;
}
