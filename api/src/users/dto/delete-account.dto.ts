import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';

/** DELETE /users/me: the account goes only with its current password. */
export class DeleteAccountDto {
  @ApiProperty({ example: 'Analytical-Engine-1843', description: 'The current password, to confirm' })
  @MaxLength(1024)
  @IsString()
  currentPassword!: string;
}
