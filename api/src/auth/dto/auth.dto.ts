import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length, MaxLength } from 'class-validator';
import { UserDto } from '../../users/dto/user.dto.js';
import { DisplayNameField, EmailAddressField } from '../../users/dto/users.dto.js';
import { PASSWORD_MAX } from '../../users/password-policy.js';

export class EmailField {
  @EmailAddressField('ada@example.com')
  email!: string;
}

export class RegisterDto extends EmailField {
  @ApiProperty({
    example: 'Analytical-Engine-1843',
    minLength: 12,
    maxLength: PASSWORD_MAX,
    description: '12–128 characters, at least three of lower case, upper case, digit and symbol',
  })
  @MaxLength(1024) // the policy reports the exact rule; this only bounds the work
  @IsString()
  password!: string;

  @DisplayNameField('Ada Lovelace')
  displayName!: string;
}

export class LoginDto extends EmailField {
  @ApiProperty({ example: 'Analytical-Engine-1843' })
  @MaxLength(1024)
  @IsString()
  password!: string;
}

export class TokenDto {
  @ApiProperty({ example: 'kq3…', description: 'The token from the e-mailed link' })
  @Length(1, 256)
  @IsString()
  token!: string;
}

export class ResetPasswordDto extends TokenDto {
  @ApiProperty({ example: 'Difference-Engine-1822' })
  @MaxLength(1024)
  @IsString()
  password!: string;
}

export class AccessTokenDto {
  @ApiProperty({ example: 'eyJhbGciOiJIUzI1NiIsInR5cCI6ImF0K2p3dCJ9…' })
  accessToken!: string;

  @ApiProperty({ example: 900, description: 'Seconds until the access token expires' })
  expiresIn!: number;

  @ApiProperty({ type: UserDto })
  user!: UserDto;
}

export class AcceptedDto {
  @ApiProperty({ example: 'If an account exists for this address, we sent it an e-mail.' })
  message!: string;
}
