export { default } from '@tskern/eslint-config';
