/**
 * A controller that exists only in tests: it exercises the global pipeline (validation, body
 * parsing, error mapping) before real feature endpoints exist to carry it.
 */
import { Body, Controller, Get, Module, Post } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Length, Min, ValidateNested } from 'class-validator';
import { Public } from '../../src/auth/auth.decorators.js';

class AddressDto {
  @IsString()
  @Length(1, 40)
  city!: string;
}

export class ProbeDto {
  @IsString()
  @Length(1, 20)
  name!: string;

  @IsInt()
  @Min(0)
  age!: number;

  @IsOptional()
  @ValidateNested()
  @Type(() => AddressDto)
  address?: AddressDto;
}

@Public()
@Controller('probe')
export class ProbeController {
  @Post()
  echo(@Body() body: ProbeDto): ProbeDto {
    return body;
  }

  @Get('boom')
  boom(): never {
    throw new Error('secret internals: connection string postgres://root:hunter2@db');
  }
}

@Module({ controllers: [ProbeController] })
export class ProbeModule {}
