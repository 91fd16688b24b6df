/**
 * A controller that exists only in tests: it exercises the global pipeline (validation, body
 * parsing, error mapping) before real feature endpoints exist to carry it.
 */
import { Body, Controller, Get, Module, ParseIntPipe, Post, Query } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Length, Min, ValidateNested } from 'class-validator';
import { Public, RequiresRole } from '../../src/policy/access.js';

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

  /** Answers after `ms` milliseconds (at most 5 s): a slow answer on demand. */
  @Get('slow')
  async slow(@Query('ms', ParseIntPipe) ms: number): Promise<{ waitedMs: number }> {
    const waitedMs = Math.min(Math.max(ms, 0), 5_000);
    await new Promise((resolve) => setTimeout(resolve, waitedMs));
    return { waitedMs };
  }

  @Get('boom')
  boom(): never {
    throw new Error('secret internals: connection string postgres://root:hunter2@db');
  }
}

/** Private by default: no @Public(), so the global guard applies. */
@Controller('probe-private')
export class PrivateProbeController {
  @Get()
  anyUser(): { ok: true } {
    return { ok: true };
  }

  @Get('admin')
  @RequiresRole('admin')
  adminOnly(): { ok: true } {
    return { ok: true };
  }
}

@Module({ controllers: [ProbeController, PrivateProbeController] })
export class ProbeModule {}
