import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';

/**
 * An authorization request (RFC 6749 §4.1.1 with PKCE and OpenID Connect's nonce), as the web
 * app's /oauth/authorize page received it in its query and passes it on. Every field is checked
 * by the service, which decides whether an error may go back to the app or must be shown.
 */
export class AuthorizeQueryDto {
  @ApiPropertyOptional({ example: 'code', description: 'Must be `code`' })
  @MaxLength(64)
  @IsString()
  @IsOptional()
  response_type?: string;

  @ApiPropertyOptional({ example: 'nuell_app_3x9Kq2LmP0aZbY7wV4tR1sUe' })
  @MaxLength(200)
  @IsString()
  @IsOptional()
  client_id?: string;

  @ApiPropertyOptional({ example: 'https://app.example.com/callback', description: 'One of the app’s, exactly' })
  @MaxLength(2000)
  @IsString()
  @IsOptional()
  redirect_uri?: string;

  @ApiPropertyOptional({ example: 'openid profile posts:write', description: 'Space-separated; within the app’s' })
  @MaxLength(1000)
  @IsString()
  @IsOptional()
  scope?: string;

  @ApiPropertyOptional({ example: 'af0ifjsldkj', description: 'Passed back unchanged' })
  @MaxLength(1000)
  @IsString()
  @IsOptional()
  state?: string;

  @ApiPropertyOptional({
    example: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    description: 'BASE64URL(SHA-256(verifier))',
  })
  @MaxLength(200)
  @IsString()
  @IsOptional()
  code_challenge?: string;

  @ApiPropertyOptional({ example: 'S256', description: 'Must be S256 (plain is refused)' })
  @MaxLength(32)
  @IsString()
  @IsOptional()
  code_challenge_method?: string;

  @ApiPropertyOptional({ example: 'n-0S6_WzA2Mj', description: 'OpenID Connect: echoed in the ID token' })
  @MaxLength(512)
  @IsString()
  @IsOptional()
  nonce?: string;
}

/** The user's answer on the consent page, with the request it answers. */
export class AuthorizeDecisionDto extends AuthorizeQueryDto {
  @ApiProperty({ enum: ['allow', 'deny'], example: 'allow' })
  @IsIn(['allow', 'deny'], { message: 'decision must be allow or deny' })
  decision!: 'allow' | 'deny';
}

export class AuthorizeClientDto {
  @ApiProperty({ example: 'nuell_app_3x9Kq2LmP0aZbY7wV4tR1sUe' })
  clientId!: string;

  @ApiProperty({ example: 'Cross-poster' })
  name!: string;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Display name of who registered the app; null when the operators did',
    example: 'Ada King',
  })
  ownerName!: string | null;

  @ApiProperty({ description: 'Registered by the operators of this service', example: false })
  operatorRegistered!: boolean;
}

export class ScopeDescriptionDto {
  @ApiProperty({ example: 'posts:write' })
  scope!: string;

  @ApiProperty({ example: 'Create, edit and delete your posts, and list your drafts' })
  description!: string;
}

/**
 * What the consent page shows; or, when the request is wrong in a way the app may hear about,
 * only `redirectTo`, where the page sends the browser.
 */
export class AuthorizeViewDto {
  @ApiPropertyOptional({ type: AuthorizeClientDto })
  client?: AuthorizeClientDto;

  @ApiPropertyOptional({ type: [ScopeDescriptionDto] })
  scopes?: ScopeDescriptionDto[];

  @ApiPropertyOptional({ description: 'The host the user will be sent back to', example: 'app.example.com' })
  redirectHost?: string;

  @ApiPropertyOptional({ example: 'https://app.example.com/callback' })
  redirectUri?: string;

  @ApiPropertyOptional({
    description: 'Send the browser here at once: the request was refused with an OAuth error the app reads',
    example:
      'https://app.example.com/callback?error=invalid_scope&error_description=unknown+scope%3A+admin&state=af0&iss=https%3A%2F%2Fnuell.example.com',
  })
  redirectTo?: string;
}

/** Where to send the browser after the decision: the app's redirect URI with a code, or an error. */
export class AuthorizeRedirectDto {
  @ApiProperty({
    example:
      'https://app.example.com/callback?code=SplxlOBeZQQYbYS6WxSbIA&state=af0ifjsldkj&iss=https%3A%2F%2Fnuell.example.com',
  })
  redirectTo!: string;
}
