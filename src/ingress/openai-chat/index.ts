import type { IngressCodec } from '../../core/adapters.ts';
import { decodeRequest } from './decode-request.ts';
import { encodeError } from './encode-error.ts';
import { encodeResponse } from './encode-response.ts';
import { encodeStream } from './encode-stream.ts';
import { openAIChatPassthrough } from './passthrough.ts';

const openAIChat: IngressCodec = {
  protocol: 'openai-chat',
  decodeRequest,
  encodeResponse,
  encodeStream,
  encodeError,
  passthrough: openAIChatPassthrough,
};

export default openAIChat;
