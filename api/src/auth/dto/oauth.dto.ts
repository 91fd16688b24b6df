import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/**
 * The token endpoint's form and answers, for the OpenAPI document only: the form is read by
 * oauth-form.ts, since OAuth's field names and errors are not the global validation's.
 */
export class TokenRequestDto {
  @ApiProperty({ enum: ['authorization_code', 'refresh_token', 'password'], example: 'authorization_code' })
  grant_type!: string;
  @ApiPropertyOptional({
    description: 'The authorization code (authorization_code grant)',
    example: 'SplxlOBeZQQYbYS6WxSbIA',
  })
  code?: string;
  @ApiPropertyOptional({
    description: 'The redirect_uri of the authorization request, exactly (authorization_code grant)',
    example: 'https://app.example.com/callback',
  })
  redirect_uri?: string;
  @ApiPropertyOptional({
    description: 'The PKCE verifier whose S256 challenge the authorization request sent (authorization_code grant)',
    example: 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk',
  })
  code_verifier?: string;
  @ApiPropertyOptional({
    description: 'The account e-mail (password grant: deprecated, use the authorization code flow)',
    example: 'ada@example.com',
    deprecated: true,
  })
  username?: string;
  @ApiPropertyOptional({
    description: 'The password (password grant: deprecated, use the authorization code flow)',
    format: 'password',
    deprecated: true,
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
  @ApiPropertyOptional({
    description:
      'A registered app’s client_id (client_secret_post, or a public app naming itself). Anything not starting ' +
      'with nuell_app_ is a first-party client’s name, accepted and ignored.',
    example: 'nuell_app_3x9Kq2LmP0aZbY7wV4tR1sUe',
  })
  client_id?: string;
  @ApiPropertyOptional({
    description: 'A confidential app’s secret (client_secret_post; or send both as HTTP Basic, client_secret_basic)',
    example: 'nuell_secret_Q2xpZW50U2VjcmV0MTIzNDU2Nzg5MEFCQ0RFRkdISUpL',
  })
  client_secret?: string;
}

export class TokenResponseDto {
  @ApiProperty({ example: 'eyJhbGciOiJIUzI1NiIsInR5cCI6ImF0K2p3dCJ9…' }) access_token!: string;
  @ApiProperty({ example: 'Bearer' }) token_type!: string;
  @ApiProperty({ example: 900 }) expires_in!: number;
  @ApiProperty({ example: 'kq3J0x2bq8F1yq2rV8dG3l5mN6pQ7sT9uW0xY1zA2bC' }) refresh_token!: string;
  @ApiProperty({ example: 'profile:read posts:write' }) scope!: string;
  @ApiPropertyOptional({
    description: 'OpenID Connect: with the openid scope, an ES256 ID token (verify it with the JWKS)',
    example: 'eyJhbGciOiJFUzI1NiIsImtpZCI6IjAxOWFkMGYyIiwidHlwIjoiSldUIn0…',
  })
  id_token?: string;
}

export class OAuthErrorDto {
  @ApiProperty({
    enum: [
      'invalid_request',
      'invalid_client',
      'invalid_grant',
      'unauthorized_client',
      'unsupported_grant_type',
      'invalid_scope',
      'temporarily_unavailable',
    ],
    example: 'invalid_grant',
  })
  error!: string;
  @ApiProperty({ example: 'the e-mail or the password is incorrect' }) error_description!: string;
}
