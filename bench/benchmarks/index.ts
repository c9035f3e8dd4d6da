// The benchmarks `npm run bench` knows, by name. A new one is a module here and one entry below.
import type { Benchmark } from '../registry.ts';
import { apiBench } from './api.ts';
import { contactsBench } from './contacts.ts';
import { eodBench } from './eod.ts';
import { scheduleBench } from './schedule.ts';

export const benchmarks: readonly Benchmark[] = [scheduleBench, eodBench, contactsBench, apiBench];
