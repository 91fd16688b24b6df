/**
 * One throwaway PostgreSQL (and a MailDev catcher) for the whole deployment test run: the API
 * suite's global setup, run by node's test runner (`--test-global-setup`). Test files find them
 * through TEST_DATABASE_URL, TEST_SMTP_URL and TEST_MAILDEV_URL.
 */
export { default as globalSetup } from '../../api/test/global-setup.mjs';
export { default as globalTeardown } from '../../api/test/global-teardown.mjs';
