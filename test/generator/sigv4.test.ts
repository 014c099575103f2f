import { expect } from 'chai';
import { amzDate, sha256Hex, signS3Request } from '../../generator/sigv4';

// The example credentials and requests of AWS's "Signature Calculations for the Authorization Header"
// page for S3 (all four examples are signed on 24 May 2013 in us-east-1).
const EXAMPLE_CREDENTIALS = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };
const EXAMPLE_DATE = new Date(Date.UTC(2013, 4, 24));

function signature(authorization: string): string {
  return /Signature=([0-9a-f]{64})$/.exec(authorization)?.[1] ?? authorization;
}

describe('signS3Request (AWS Signature Version 4)', function () {
  it('formats the signing time as S3 expects', function () {
    expect(amzDate(EXAMPLE_DATE)).to.equal('20130524T000000Z');
  });

  it('signs AWS\'s GET Object example to its published signature', function () {
    const headers = signS3Request(
      { method: 'GET', path: '/test.txt', headers: { Host: 'examplebucket.s3.amazonaws.com', Range: 'bytes=0-9' }, payloadHash: sha256Hex('') },
      EXAMPLE_CREDENTIALS,
      'us-east-1',
      EXAMPLE_DATE,
    );
    expect(headers.authorization).to.equal(
      'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, ' +
        'SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, ' +
        'Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41',
    );
  });

  it('signs AWS\'s PUT Object example (escaped key, extra headers) to its published signature', function () {
    const body = 'Welcome to Amazon S3.';
    const headers = signS3Request(
      {
        method: 'PUT',
        path: '/test%24file.text',
        headers: { Host: 'examplebucket.s3.amazonaws.com', Date: 'Fri, 24 May 2013 00:00:00 GMT', 'x-amz-storage-class': 'REDUCED_REDUNDANCY' },
        payloadHash: sha256Hex(body),
      },
      EXAMPLE_CREDENTIALS,
      'us-east-1',
      EXAMPLE_DATE,
    );
    expect(headers['x-amz-content-sha256']).to.equal('44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072');
    expect(signature(headers.authorization)).to.equal('98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd');
  });

  it('signs the session token of temporary credentials', function () {
    const headers = signS3Request(
      { method: 'PUT', path: '/b/k', headers: { host: 'h' }, payloadHash: sha256Hex('x') },
      { ...EXAMPLE_CREDENTIALS, sessionToken: 'token' },
      'eu-west-1',
      EXAMPLE_DATE,
    );
    expect(headers['x-amz-security-token']).to.equal('token');
    expect(headers.authorization).to.include('SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-security-token,');
    expect(headers.authorization).to.include('/20130524/eu-west-1/s3/aws4_request');
  });
});
