import { isFrame, type FrameId, type NoFrame } from './constants';

/** An allocation a test expects to succeed: the frame, or a thrown error naming the failure. */
export function allocated(frame: FrameId | NoFrame): FrameId {
  if (!isFrame(frame)) throw new Error('test: the allocator had no frame left');
  return frame;
}
