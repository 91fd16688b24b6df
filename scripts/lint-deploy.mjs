#!/usr/bin/env node
/**
 * `npm run lint`'s check of the deployment files: the Caddyfile as `caddy fmt` writes it and
 * accepted by `caddy validate`, every Dockerfile clean under hadolint (warnings fail), and
 * docker-compose.yml loaded by compose-go against the Compose specification with the example
 * settings filled in. Prints each problem; exits 1 if there is one.
 */
import { checkCaddyfile, dockerfiles, filledComposeEnv, lintDockerfiles, loadCompose } from './lib/deploy-checks.mjs';

const problems = [...(await checkCaddyfile()), ...(await lintDockerfiles(await dockerfiles()))];
const compose = await loadCompose(await filledComposeEnv());
if (!compose.ok) problems.push(`docker-compose.yml: ${compose.error}`);

for (const problem of problems) console.error(problem);
process.exit(problems.length > 0 ? 1 : 0);
