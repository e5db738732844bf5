export { default } from '@tskern/tsup-config';
