/**
 * The panel's own React components (admin/components/*.tsx), registered under fixed names. The
 * same loader serves the running panel and the build-time bundler (bundle.ts), so the names in
 * the bundle are the names the resources ask for. The paths work from src/ (tests) and dist/
 * alike: both sit one level below admin/.
 */
import { fileURLToPath } from 'node:url';
import { ComponentLoader } from 'adminjs';

export const componentLoader = new ComponentLoader();

const component = (name: string, file: string) =>
  componentLoader.add(name, fileURLToPath(new URL(`../components/${file}`, import.meta.url)));

export const Components = {
  Dashboard: component('Dashboard', 'dashboard.tsx'),
  Health: component('Health', 'health.tsx'),
  PostSideBySide: component('PostSideBySide', 'post-side-by-side.tsx'),
  RerenderPosts: component('RerenderPosts', 'rerender-posts.tsx'),
  JsonData: component('JsonData', 'json-data.tsx'),
  ConfirmAction: component('ConfirmAction', 'confirm-action.tsx'),
  SuspendForm: component('SuspendForm', 'suspend-form.tsx'),
  ModeratePost: component('ModeratePost', 'moderate-post.tsx'),
  PostEdit: component('PostEdit', 'post-edit.tsx'),
  UserShow: component('UserShow', 'user-show.tsx'),
  CorrectEmail: component('CorrectEmail', 'correct-email.tsx'),
  // Never drawn: its module adds the panel's layout rules to every page (layout-fixes.tsx).
  LayoutFixes: component('LayoutFixes', 'layout-fixes.tsx'),
  ExportCsv: component('ExportCsv', 'export-csv.tsx'),
  ApplyToMatching: component('ApplyToMatching', 'apply-to-matching.tsx'),
  RegisterApp: component('RegisterApp', 'register-app.tsx'),
  SigningKeys: component('SigningKeys', 'signing-keys.tsx'),
};

// The sign-in page: a form password managers fill, the address kept after a refusal, deep links kept.
componentLoader.override('Login', fileURLToPath(new URL('../components/login.tsx', import.meta.url)));
// The navigation: groups as headings and every list a link that Tab reaches (sidebar-navigation.tsx).
componentLoader.override(
  'SidebarResourceSection',
  fileURLToPath(new URL('../components/sidebar-navigation.tsx', import.meta.url)),
);
