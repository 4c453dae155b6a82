import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { type FakeServer, startFakeServer } from '../../test/fakes/fake-server.ts';
import { GatewayError } from '../core/errors.ts';
import { blockedAddressKind } from './blocked-address.ts';
import {
  createImageFetcher,
  type ImageFetcherOptions,
  imageFetcherFromEnv,
  type ResolvedAddress,
  sniffImageType,
} from './fetch-image.ts';

const PNG = Buffer.from([
  0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52,
]);
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46]);

let server: FakeServer;
let port: string;

before(async () => {
  server = await startFakeServer({ status: 404, body: 'not here' });
  port = new URL(server.url).port;
});
after(() => server.close());
beforeEach(() => server.reset());

/** Resolves names from a table and records every lookup. */
function fakeDns(table: Record<string, string[]>) {
  const lookups: string[] = [];
  const resolve = async (host: string): Promise<ResolvedAddress[]> => {
    lookups.push(host);
    const addresses = table[host];
    if (!addresses) throw Object.assign(new Error('ENOTFOUND'), { code: 'ENOTFOUND' });
    return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
  return { resolve, lookups };
}

async function refusal(url: string, options: ImageFetcherOptions = {}): Promise<GatewayError> {
  const error = await createImageFetcher(options)(url).then(
    () => assert.fail(`expected ${url} to be refused`),
    (caught: unknown) => caught,
  );
  assert.ok(error instanceof GatewayError, `not a GatewayError: ${String(error)}`);
  assert.equal(error.code, 'invalid_request');
  assert.equal(error.status, 400);
  return error;
}

describe('fetching an image URL', () => {
  test('a PNG with its content type comes back base64 with that media type', async () => {
    server.enqueue({ headers: { 'content-type': 'image/png' }, body: PNG });
    const image = await createImageFetcher({ allowPrivate: true })(`${server.url}/cat.png?size=small`);
    assert.deepEqual(image, { mediaType: 'image/png', data: PNG.toString('base64') });
    assert.equal(server.requests[0].url, '/cat.png?size=small');
    assert.equal(server.requests[0].method, 'GET');
  });

  test('parameters of the content type are dropped; a generic type is sniffed from the magic bytes', async () => {
    server.enqueue(
      { headers: { 'content-type': 'Image/WEBP; q=1' }, body: Buffer.from('RIFF\0\0\0\0WEBPVP8 ') },
      { headers: { 'content-type': 'application/octet-stream' }, body: JPEG },
      { body: Buffer.from('GIF89a\x01\0\x01\0') },
    );
    const fetcher = createImageFetcher({ allowPrivate: true });
    assert.equal((await fetcher(`${server.url}/a`)).mediaType, 'image/webp');
    assert.deepEqual(await fetcher(`${server.url}/b`), {
      mediaType: 'image/jpeg',
      data: JPEG.toString('base64'),
    });
    assert.equal((await fetcher(`${server.url}/c`)).mediaType, 'image/gif');
  });

  test('an answer that is not an image is refused', async () => {
    server.enqueue({ headers: { 'content-type': 'text/html' }, body: '<html>login</html>' });
    const error = await refusal(`${server.url}/page`, { allowPrivate: true });
    assert.equal(
      error.message,
      `Could not fetch the image from 127.0.0.1:${port}: the answer is not an image`,
    );
  });

  test('a non-200 answer is refused naming only the host, never the path or query', async () => {
    const error = await refusal(`${server.url}/secret/path.png?token=abc123`, { allowPrivate: true });
    assert.equal(
      error.message,
      `Could not fetch the image from 127.0.0.1:${port}: the server answered HTTP 404`,
    );
  });

  test('the magic bytes of PNG, JPEG, GIF and WEBP are recognised, others are not', () => {
    assert.equal(sniffImageType(PNG), 'image/png');
    assert.equal(sniffImageType(JPEG), 'image/jpeg');
    assert.equal(sniffImageType(Buffer.from('GIF87a')), 'image/gif');
    assert.equal(sniffImageType(Buffer.from('RIFF1234WEBP')), 'image/webp');
    assert.equal(sniffImageType(Buffer.from('RIFF1234WAVE')), undefined);
    assert.equal(sniffImageType(Buffer.from('%PDF-1.7')), undefined);
    assert.equal(sniffImageType(new Uint8Array(0)), undefined);
  });
});

describe('refused URLs', () => {
  test('schemes other than http and https', async () => {
    for (const [url, scheme] of [
      ['file:///etc/passwd', 'file'],
      ['ftp://example.com/a.png', 'ftp'],
      ['gopher://example.com/', 'gopher'],
      ['data:image/png;base64,iVBORw0KGgo=', 'data'],
    ]) {
      const error = await refusal(url);
      assert.match(error.message, new RegExp(`only http and https image URLs are fetched, not ${scheme}$`));
    }
  });

  test('URLs with credentials are refused and the credentials never appear in the message', async () => {
    const error = await refusal(`http://alice:hunter2@127.0.0.1:${port}/a.png`, { allowPrivate: true });
    assert.equal(
      error.message,
      `Could not fetch the image from 127.0.0.1:${port}: image URLs with credentials are not fetched`,
    );
    assert.equal(server.requests.length, 0);
  });

  test('every internal address class, written as an IP literal', async () => {
    const cases: Array<[string, string]> = [
      ['http://127.0.0.1/a.png', 'loopback'],
      ['http://127.8.9.10/a.png', 'loopback'],
      ['http://2130706433/a.png', 'loopback'],
      ['http://0x7f.1/a.png', 'loopback'],
      ['http://[::1]/a.png', 'loopback'],
      ['http://10.1.2.3/a.png', 'private'],
      ['http://172.16.0.1/a.png', 'private'],
      ['http://172.31.255.255/a.png', 'private'],
      ['http://192.168.1.1/a.png', 'private'],
      ['http://[fc00::1]/a.png', 'private'],
      ['http://[fd12:3456::1]/a.png', 'private'],
      ['http://169.254.169.254/latest/meta-data/', 'link-local'],
      ['http://169.254.1.1/a.png', 'link-local'],
      ['http://[fe80::1]/a.png', 'link-local'],
      ['http://100.64.0.1/a.png', 'carrier-grade NAT'],
      ['http://100.127.255.254/a.png', 'carrier-grade NAT'],
      ['http://0.0.0.0/a.png', 'unspecified'],
      ['http://[::]/a.png', 'unspecified'],
      ['http://224.0.0.1/a.png', 'multicast'],
      ['http://[ff02::1]/a.png', 'multicast'],
      ['http://255.255.255.255/a.png', 'reserved'],
      ['http://[::ffff:127.0.0.1]/a.png', 'IPv4-mapped loopback'],
      ['http://[::ffff:169.254.169.254]/a.png', 'IPv4-mapped link-local'],
      ['http://[::ffff:10.0.0.1]/a.png', 'IPv4-mapped private'],
      ['http://[64:ff9b::a9fe:a9fe]/a.png', 'IPv4-mapped link-local'],
    ];
    for (const [url, kind] of cases) {
      const error = await refusal(url);
      assert.equal(
        error.message,
        `Could not fetch the image from ${new URL(url).host}: it resolves to a ${kind} address`,
        url,
      );
    }
  });

  test('metadata and local host names are refused before any lookup', async () => {
    const dns = fakeDns({});
    for (const url of [
      'http://metadata.google.internal/computeMetadata/v1/',
      'http://METADATA.google.internal./x',
      'http://metadata/computeMetadata/v1/',
      'http://localhost:8080/a.png',
      'http://app.localhost/a.png',
    ]) {
      const error = await refusal(url, { resolve: dns.resolve });
      assert.match(error.message, /: internal host name$/, url);
    }
    assert.deepEqual(dns.lookups, []);
  });

  test('a name is refused when ANY of its addresses is internal', async () => {
    const dns = fakeDns({
      'mixed.example': ['93.184.216.34', '10.0.0.5'],
      'mapped.example': ['2606:2800:220:1::1', '::ffff:169.254.169.254'],
      'cgnat.example': ['100.100.100.100'],
    });
    for (const [host, kind] of [
      ['mixed.example', 'private'],
      ['mapped.example', 'IPv4-mapped link-local'],
      ['cgnat.example', 'carrier-grade NAT'],
    ]) {
      const error = await refusal(`https://${host}/img.png`, { resolve: dns.resolve });
      assert.equal(error.message, `Could not fetch the image from ${host}: it resolves to a ${kind} address`);
    }
  });

  test('a name that does not resolve is refused', async () => {
    const error = await refusal('https://nowhere.example/img.png', { resolve: fakeDns({}).resolve });
    assert.equal(
      error.message,
      'Could not fetch the image from nowhere.example: the host name did not resolve',
    );
  });

  test('without the flag the local test server itself is out of reach (SWITCHYARD_IMAGE_FETCH_ALLOW_PRIVATE)', async () => {
    await assert.rejects(imageFetcherFromEnv({})(`${server.url}/a.png`), /loopback address/);
    server.enqueue({ headers: { 'content-type': 'image/png' }, body: PNG });
    const image = await imageFetcherFromEnv({ SWITCHYARD_IMAGE_FETCH_ALLOW_PRIVATE: '1' })(
      `${server.url}/a.png`,
    );
    assert.equal(image.data, PNG.toString('base64'));
    assert.equal(server.requests.length, 1);
  });

  test('addresses outside the blocked ranges are public', () => {
    for (const address of [
      '8.8.8.8',
      '172.15.255.255',
      '172.32.0.0',
      '100.63.255.255',
      '100.128.0.0',
      '169.253.255.255',
      '2001:4860:4860::8888',
      '::ffff:8.8.8.8',
      '64:ff9b::808:808',
    ]) {
      assert.equal(blockedAddressKind(address), undefined, address);
    }
    assert.equal(blockedAddressKind('::ffff:7f00:1'), 'IPv4-mapped loopback');
    assert.equal(blockedAddressKind('fe80::1%eth0'), 'link-local');
  });
});

describe('redirects, pinning, size and time limits', () => {
  // The fake server listens on loopback; exempting that one address lets it play a public host.
  const asPublic = (extra: ImageFetcherOptions = {}): ImageFetcherOptions => ({
    exemptAddresses: ['127.0.0.1'],
    ...extra,
  });

  test('redirects are followed (relative too), at most three', async () => {
    server.enqueue(
      { status: 301, headers: { location: '/two' } },
      { status: 302, headers: { location: `${server.url}/three` } },
      { status: 307, headers: { location: 'four.png' } },
      { headers: { 'content-type': 'image/png' }, body: PNG },
    );
    const image = await createImageFetcher(asPublic())(`${server.url}/one`);
    assert.equal(image.data, PNG.toString('base64'));
    assert.deepEqual(
      server.requests.map((request) => request.url),
      ['/one', '/two', '/three', '/four.png'],
    );
  });

  test('a fourth redirect is refused', async () => {
    for (let i = 0; i < 4; i++) server.enqueue({ status: 302, headers: { location: `/hop${i}` } });
    const error = await refusal(`${server.url}/start`, asPublic());
    assert.match(error.message, /: more than 3 redirects$/);
    assert.equal(server.requests.length, 4);
  });

  test('a redirect to an internal address is refused and never followed', async () => {
    const dns = fakeDns({ 'internal.example': ['10.20.30.40'] });
    const redirects: Array<[string, string]> = [
      [
        'http://169.254.169.254/latest/meta-data/iam/',
        'Could not fetch the image from 169.254.169.254: it resolves to a link-local address',
      ],
      [
        'http://internal.example/a.png',
        'Could not fetch the image from internal.example: it resolves to a private address',
      ],
      [
        `http://[::1]:${port}/a.png`,
        `Could not fetch the image from [::1]:${port}: it resolves to a loopback address`,
      ],
      [
        'http://metadata.google.internal/',
        'Could not fetch the image from metadata.google.internal: internal host name',
      ],
      [
        'file:///etc/shadow',
        'Could not fetch the image from the URL: only http and https image URLs are fetched, not file',
      ],
    ];
    for (const [location, message] of redirects) {
      server.reset();
      server.enqueue({ status: 302, headers: { location } });
      const error = await refusal(`${server.url}/public.png`, asPublic({ resolve: dns.resolve }));
      assert.equal(error.message, message);
      assert.equal(server.requests.length, 1);
    }
  });

  test('the connection goes to the address that was checked, with the original Host (no second lookup)', async () => {
    const dns = fakeDns({ 'images.example': ['127.0.0.1'] });
    server.enqueue({ headers: { 'content-type': 'image/png' }, body: PNG });
    const image = await createImageFetcher(asPublic({ resolve: dns.resolve }))(
      `http://images.example:${port}/pinned.png`,
    );
    assert.equal(image.mediaType, 'image/png');
    assert.deepEqual(dns.lookups, ['images.example']);
    assert.equal(server.requests[0].headers.host, `images.example:${port}`);
  });

  test('a declared size over the cap is refused before the body is read', async () => {
    server.enqueue({ headers: { 'content-type': 'image/png' }, body: Buffer.alloc(2048, 1) });
    const error = await refusal(`${server.url}/big.png`, { allowPrivate: true, maxBytes: 1024 });
    assert.match(error.message, /: the image is larger than 1024 bytes$/);
  });

  test('a streamed body is cut off as soon as it passes the cap', async () => {
    const piece = Buffer.alloc(600, 7);
    // Two pieces exceed the cap; the server then hangs, so only an early abort can end this quickly.
    server.enqueue({
      headers: { 'content-type': 'image/png' },
      chunks: [piece, piece, piece],
      hangAfterChunks: 2,
    });
    const started = Date.now();
    const error = await refusal(`${server.url}/stream.png`, {
      allowPrivate: true,
      maxBytes: 1000,
      timeoutMs: 5000,
    });
    assert.match(error.message, /: the image is larger than 1000 bytes$/);
    assert.ok(Date.now() - started < 2000);
  });

  test('a server slow to answer hits the total time limit', async () => {
    server.enqueue({ headerDelayMs: 1000, headers: { 'content-type': 'image/png' }, body: PNG });
    const error = await refusal(`${server.url}/slow.png`, { allowPrivate: true, timeoutMs: 150 });
    assert.equal(
      error.message,
      `Could not fetch the image from 127.0.0.1:${port}: no complete answer within 150 ms`,
    );
  });

  test('a body that stalls hits the total time limit too', async () => {
    server.enqueue({ headers: { 'content-type': 'image/png' }, chunks: [PNG, PNG], hangAfterChunks: 1 });
    const error = await refusal(`${server.url}/stall.png`, { allowPrivate: true, timeoutMs: 150 });
    assert.match(error.message, /: no complete answer within 150 ms$/);
  });
});
