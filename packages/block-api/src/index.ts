export type { BlockDevice } from './block-device';
export { BlockDevices, type BlockDeviceHolder } from './block-devices';
