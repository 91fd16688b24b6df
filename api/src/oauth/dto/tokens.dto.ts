import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** RFC 7009 revocation request (form-encoded), with the client's credentials unless sent as Basic. */
export class RevokeRequestDto {
  @ApiProperty({
    description: 'An access or refresh token the app holds',
    example: 'Zx9hQ...refresh-token',
    minLength: 1,
  })
  token!: string;

  @ApiPropertyOptional({ enum: ['access_token', 'refresh_token'], example: 'refresh_token' })
  token_type_hint?: string;

  @ApiPropertyOptional({
    description: 'client_secret_post, or a public app naming itself',
    example: 'nuell_app_3x9Kq2LmP0aZbY7wV4tR1sUe',
  })
  client_id?: string;

  @ApiPropertyOptional({
    description: 'client_secret_post',
    example: 'nuell_secret_Q2xpZW50U2VjcmV0MTIzNDU2Nzg5MEFCQ0RFRkdISUpL',
  })
  client_secret?: string;
}

/** RFC 7662 introspection request: the same fields. */
export class IntrospectRequestDto extends RevokeRequestDto {}

/** RFC 7662 §2.2: `active` false and nothing else for a token that is not the caller's or not live. */
export class IntrospectionDto {
  @ApiProperty({ example: true })
  active!: boolean;

  @ApiPropertyOptional({ example: 'openid posts:write' })
  scope?: string;

  @ApiPropertyOptional({ example: 'nuell_app_3x9Kq2LmP0aZbY7wV4tR1sUe' })
  client_id?: string;

  @ApiPropertyOptional({ description: 'The user the token acts for', example: '019ad0f2-5c1e-7b3a-8d4f-2e6a9c0b1d7e' })
  sub?: string;

  @ApiPropertyOptional({ enum: ['Bearer', 'refresh_token'], example: 'Bearer' })
  token_type?: string;

  @ApiPropertyOptional({ description: 'Seconds since the epoch', example: 1764751200 })
  exp?: number;

  @ApiPropertyOptional({ description: 'Seconds since the epoch', example: 1764750300 })
  iat?: number;

  @ApiPropertyOptional({ example: 'https://nuell.example.com' })
  iss?: string;
}

/** OpenID Connect Core §5.3 userinfo: `sub` always, the rest as the scopes allow. */
export class UserInfoDto {
  @ApiProperty({ example: '019ad0f2-5c1e-7b3a-8d4f-2e6a9c0b1d7e' })
  sub!: string;

  @ApiPropertyOptional({ description: 'With the profile scope: the display name', example: 'Ada King' })
  name?: string;

  @ApiPropertyOptional({ description: 'With the email scope', example: 'ada@example.com' })
  email?: string;

  @ApiPropertyOptional({ description: 'With the email scope', example: true })
  email_verified?: boolean;
}

/** A JSON Web Key Set (RFC 7517 §5): the public keys that verify ID tokens. */
export class JwksDto {
  @ApiProperty({
    type: 'array',
    items: { type: 'object', additionalProperties: true },
    example: [
      {
        kty: 'EC',
        crv: 'P-256',
        x: 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU',
        y: 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0',
        kid: '019ad0f2-5c1e-7b3a-8d4f-2e6a9c0b1d7e',
        alg: 'ES256',
        use: 'sig',
      },
    ],
  })
  keys!: Record<string, unknown>[];
}
