/**
 * The sign-in page (AdminJS's Login, overridden): the form a password manager recognises (named
 * fields, `autocomplete="username"` and `"current-password"`, an e-mail input), the address kept
 * after a refusal so only the password is typed again, and the page the operator asked for
 * carried through sign-in (`next`, in the form's action). The server percent-encodes what it
 * hands this page (sign-in.ts), so the values arrive as plain text.
 */
import React from 'react';
import { Box, Button, FormGroup, H2, H5, Input, Label, MessageBox, Text } from '@adminjs/design-system';
import { useTranslation } from 'adminjs';

/** What sign-in.ts renders the page with (window.__APP_STATE__). */
interface LoginState {
  readonly action?: string;
  readonly errorMessage?: string | null;
  /** The address typed before, percent-encoded. */
  readonly email?: string;
  /** The page to go back to after sign-in, percent-encoded. */
  readonly next?: string;
}

const decoded = (value: string | undefined): string => {
  if (!value) return '';
  try {
    return decodeURIComponent(value);
  } catch {
    return '';
  }
};

export default function Login() {
  const state: LoginState = (window as unknown as { __APP_STATE__?: LoginState }).__APP_STATE__ ?? {};
  const branding = (window as unknown as { REDUX_STATE?: { branding?: { companyName?: string } } }).REDUX_STATE
    ?.branding;
  const { translateComponent, translateMessage } = useTranslation();
  const email = decoded(state.email);
  const next = decoded(state.next);
  const message = state.errorMessage;

  return (
    <Box
      flex
      variant="grey"
      style={{ alignItems: 'center', justifyContent: 'center', flexDirection: 'column', minHeight: '100%' }}
    >
      <Box bg="white" flex boxShadow="login" width={[1, 2 / 3, 'auto']} style={{ minHeight: 440 }}>
        <Box bg="primary100" color="white" p="x3" width="380px" flexGrow={0} display={['none', 'none', 'block']}>
          <H2 fontWeight="lighter">{translateComponent('Login.welcomeHeader')}</H2>
          <Text fontWeight="lighter" mt="default">
            {translateComponent('Login.welcomeMessage')}
          </Text>
        </Box>
        <Box as="form" action={state.action} method="POST" p="x3" flexGrow={1} width={['100%', '100%', '480px']}>
          <H5 marginBottom="xxl">{branding?.companyName ?? 'Control panel'}</H5>
          {message ? (
            <MessageBox
              my="lg"
              message={message.split(' ').length > 1 ? message : translateMessage(message)}
              variant="danger"
            />
          ) : next ? (
            <MessageBox my="lg" message="Sign in to go on to the page you were on." variant="info" />
          ) : null}
          <FormGroup>
            <Label htmlFor="login-email" required>
              {translateComponent('Login.properties.email')}
            </Label>
            <Input
              id="login-email"
              name="email"
              type="email"
              autoComplete="username"
              autoCapitalize="none"
              spellCheck={false}
              required
              autoFocus={email === ''}
              defaultValue={email}
              placeholder={translateComponent('Login.properties.email')}
              width="100%"
            />
          </FormGroup>
          <FormGroup>
            <Label htmlFor="login-password" required>
              {translateComponent('Login.properties.password')}
            </Label>
            <Input
              id="login-password"
              name="password"
              type="password"
              autoComplete="current-password"
              required
              autoFocus={email !== ''}
              placeholder={translateComponent('Login.properties.password')}
              width="100%"
            />
          </FormGroup>
          <Text mt="xl" textAlign="center">
            <Button variant="contained" type="submit">
              {translateComponent('Login.loginButton')}
            </Button>
          </Text>
        </Box>
      </Box>
    </Box>
  );
}
