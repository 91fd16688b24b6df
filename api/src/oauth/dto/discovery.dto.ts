import { ApiProperty } from '@nestjs/swagger';

/** The metadata document (RFC 8414 §2, OpenID Connect Discovery §3); the main members. */
export class DiscoveryDto {
  @ApiProperty({ example: 'https://nuell.example.com' }) issuer!: string;
  @ApiProperty({ example: 'https://nuell.example.com/oauth/authorize' }) authorization_endpoint!: string;
  @ApiProperty({ example: 'https://nuell.example.com/api/v1/auth/token' }) token_endpoint!: string;
  @ApiProperty({ example: 'https://nuell.example.com/api/v1/oauth/userinfo' }) userinfo_endpoint!: string;
  @ApiProperty({ example: 'https://nuell.example.com/api/v1/oauth/jwks' }) jwks_uri!: string;
  @ApiProperty({ example: 'https://nuell.example.com/api/v1/oauth/revoke' }) revocation_endpoint!: string;
  @ApiProperty({ example: 'https://nuell.example.com/api/v1/oauth/introspect' }) introspection_endpoint!: string;
  @ApiProperty({
    type: [String],
    example: ['openid', 'profile', 'email', 'profile:read', 'profile:write', 'posts:write'],
  })
  scopes_supported!: string[];
  @ApiProperty({ type: [String], example: ['code'] }) response_types_supported!: string[];
  @ApiProperty({ type: [String], example: ['authorization_code', 'refresh_token'] }) grant_types_supported!: string[];
  @ApiProperty({ type: [String], example: ['S256'] }) code_challenge_methods_supported!: string[];
  @ApiProperty({ type: [String], example: ['client_secret_basic', 'client_secret_post', 'none'] })
  token_endpoint_auth_methods_supported!: string[];
  @ApiProperty({ type: [String], example: ['ES256'] }) id_token_signing_alg_values_supported!: string[];
  @ApiProperty({ type: [String], example: ['public'] }) subject_types_supported!: string[];
  @ApiProperty({ example: true }) authorization_response_iss_parameter_supported!: boolean;
}
