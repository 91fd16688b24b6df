import { ApiProperty } from '@nestjs/swagger';
import { ProblemDetailsDto } from '../../http/problem.dto.js';

/** 403 `https://nuell.dev/problems/account-suspended`: the password was right, the account is suspended. */
export class AccountSuspendedProblemDto extends ProblemDetailsDto {
  @ApiProperty({ example: 'https://nuell.dev/problems/account-suspended' })
  declare type: string;

  @ApiProperty({ example: 'Forbidden' })
  declare title: string;

  @ApiProperty({ example: 403 })
  declare status: number;

  @ApiProperty({ example: 'This account is suspended until Saturday 5 December 2026 at 14:00 UTC.' })
  declare detail: string;

  @ApiProperty({ example: '/api/v1/auth/login', description: 'The path that was requested' })
  declare instance: string;

  @ApiProperty({
    type: 'string',
    nullable: true,
    example: 'Your last posts advertised the same shop. You can write again after the suspension.',
    description: "What the operator wrote for the account's owner; null when they wrote nothing",
  })
  message!: string | null;

  @ApiProperty({
    type: 'string',
    format: 'date-time',
    nullable: true,
    example: '2026-12-05T14:00:00.000Z',
    description: 'When the suspension ends by itself; null: until an operator lifts it',
  })
  until!: string | null;
}
