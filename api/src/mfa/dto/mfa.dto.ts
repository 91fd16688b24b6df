import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, Length, MaxLength, ValidateIf } from 'class-validator';
import { ProblemDetailsDto } from '../../http/problem.dto.js';

const CODE_EXAMPLE = '123456';
const RECOVERY_EXAMPLE = 'k7m2p-x9q4r';

/** The second sign-in step: the ticket from the first, and exactly one of a code or a recovery code. */
export class SecondFactorLoginDto {
  @ApiProperty({
    description: 'The `ticket` of the mfa-required answer to POST /auth/login',
    example: 'Zq3…',
    minLength: 1,
    maxLength: 256,
  })
  @Length(1, 256)
  @IsString()
  ticket!: string;

  @ApiPropertyOptional({
    description: 'A code from the authenticator app (6 digits); send this or `recoveryCode`',
    example: CODE_EXAMPLE,
    minLength: 1,
    maxLength: 64,
  })
  @ValidateIf((body: SecondFactorLoginDto) => body.code !== undefined || body.recoveryCode === undefined)
  @MaxLength(64)
  @IsString({ message: 'Enter the code from your authenticator app, or a recovery code.' })
  code?: string;

  @ApiPropertyOptional({
    description: 'One of the recovery codes, instead of `code`',
    example: RECOVERY_EXAMPLE,
    minLength: 1,
    maxLength: 64,
  })
  @ValidateIf((body: SecondFactorLoginDto) => body.recoveryCode !== undefined)
  @MaxLength(64)
  @IsString()
  recoveryCode?: string;
}

/** 403 `https://nuell.dev/problems/mfa-required`: the password is right; finish with POST /auth/login/mfa. */
export class MfaRequiredProblemDto extends ProblemDetailsDto {
  @ApiProperty({ example: 'https://nuell.dev/problems/mfa-required' })
  declare type: string;

  @ApiProperty({ description: 'Single use; send it to POST /auth/login/mfa with a code', example: 'Zq3…' })
  ticket!: string;

  @ApiProperty({ example: ['totp', 'recovery_code'], type: [String], description: 'What the second step accepts' })
  methods!: string[];

  @ApiProperty({ format: 'date-time', description: 'When the ticket expires (five minutes after the password)' })
  expiresAt!: string;
}

export class TotpCodeDto {
  @ApiProperty({
    description: 'A code from the authenticator app (6 digits); where stated, a recovery code is accepted too',
    example: CODE_EXAMPLE,
    minLength: 1,
    maxLength: 64,
  })
  @Length(1, 64)
  @IsString()
  code!: string;
}

export class TotpEnrolmentDto {
  @ApiProperty({
    description: 'The shared secret in base32, for typing into an app by hand',
    example: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP',
  })
  secret!: string;

  @ApiProperty({
    description: 'The same as an otpauth:// URI, for a QR code',
    example:
      'otpauth://totp/nuell:ada%40example.com?issuer=nuell&secret=JBSWY3DPEHPK3PXP&algorithm=SHA1&digits=6&period=30',
  })
  otpauthUri!: string;
}

export class RecoveryCodesDto {
  @ApiProperty({
    type: [String],
    example: [RECOVERY_EXAMPLE],
    description: 'Ten single-use codes, shown this once; each signs in instead of an app code',
  })
  recoveryCodes!: string[];
}

export class TotpStatusDto {
  @ApiProperty()
  enabled!: boolean;

  @ApiProperty({ type: 'string', format: 'date-time', nullable: true })
  enabledAt!: string | null;
}

export class MfaStatusDto {
  @ApiProperty({ type: TotpStatusDto })
  totp!: TotpStatusDto;

  @ApiProperty({ description: 'Unused recovery codes (0 when two-step sign-in is off)', example: 10 })
  recoveryCodesLeft!: number;

  @ApiProperty({ description: 'How many passkeys the account has', example: 1 })
  passkeys!: number;

  @ApiProperty({
    type: 'string',
    format: 'date-time',
    nullable: true,
    description:
      "Until when this session's last proof of presence lets sensitive changes through; null or past: step up first",
  })
  stepUpUntil!: string | null;
}

/** A proof of presence: the password, or a code (from the app, or a recovery code). Exactly one. */
export class StepUpDto {
  @ApiPropertyOptional({ example: 'Analytical-Engine-1843', description: 'Your password; send this or `code`' })
  @ValidateIf((body: StepUpDto) => body.password !== undefined || body.code === undefined)
  @MaxLength(1024)
  @IsString({ message: 'Enter your password, or a code from your authenticator app.' })
  password?: string;

  @ApiPropertyOptional({
    description: 'A code from the authenticator app, or a recovery code',
    example: CODE_EXAMPLE,
    maxLength: 64,
  })
  @ValidateIf((body: StepUpDto) => body.code !== undefined)
  @MaxLength(64)
  @IsString()
  code?: string;
}

export class StepUpDoneDto {
  @ApiProperty({ format: 'date-time', description: 'Sensitive changes go through until then' })
  until!: string;
}
