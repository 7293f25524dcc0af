import { Duration } from 'aws-cdk-lib';
import { HeadersFrameOption, HeadersReferrerPolicy, ResponseHeadersPolicy } from 'aws-cdk-lib/aws-cloudfront';
import type { Construct } from 'constructs';

/**
 * Sent with every file. The page has no scripts and no external resources but its images, so
 * almost everything is 'none'. Images load over https only: `upgrade-insecure-requests` makes the
 * browser fetch an `http:` image from the same address over https before the policy is checked, so
 * it shows when its host serves https and is dropped (a broken image, its alt text) when it does not.
 * Nothing is ever fetched in the clear from a page served over https.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  'img-src https: data:',
  // The page's one <style> element.
  "style-src 'unsafe-inline'",
  "base-uri 'none'",
  "form-action 'none'",
  // Header-only: a meta CSP cannot forbid framing.
  "frame-ancestors 'none'",
  'upgrade-insecure-requests',
].join('; ');

/**
 * CloudFront's managed CORS-and-SecurityHeadersPolicy plus a Content-Security-Policy: feeds stay
 * readable by web apps on any origin, and HSTS, nosniff and the referrer policy stay as they were.
 */
export function responseHeaders(scope: Construct, id: string): ResponseHeadersPolicy {
  return new ResponseHeadersPolicy(scope, id, {
    comment: 'seedfeed: CORS for feeds, CSP and security headers for every file',
    corsBehavior: {
      accessControlAllowOrigins: ['*'],
      accessControlAllowMethods: ['GET', 'HEAD'],
      accessControlAllowHeaders: ['*'],
      accessControlAllowCredentials: false,
      originOverride: true,
    },
    securityHeadersBehavior: {
      contentSecurityPolicy: { contentSecurityPolicy: CONTENT_SECURITY_POLICY, override: true },
      strictTransportSecurity: { accessControlMaxAge: Duration.days(365), override: true },
      contentTypeOptions: { override: true },
      referrerPolicy: {
        referrerPolicy: HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN,
        override: true,
      },
      frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
    },
  });
}
