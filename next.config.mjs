/** @type {import('next').NextConfig} */
const nextConfig = {
  // NEXT_DIST_DIR lets a second production build (e.g. one a test run starts) live beside the usual one.
  distDir: process.env.NEXT_DIST_DIR || '.next',
  reactStrictMode: true,
  poweredByHeader: false,
  // Native and WASM packages stay outside the server bundle; Node loads them as is.
  serverExternalPackages: ['@node-rs/argon2', 'pg', 'pg-boss', '@prisma/adapter-pg', 'nodemailer'],
  // Every answer: no MIME sniffing, kept out of frames, no Referer beyond this origin. The pages' own headers
  // (a nonce Content-Security-Policy, and for the checkout a stricter Referrer-Policy and frame-ancestors from
  // the store's registered origins) come from proxy.ts, so the checkout is left out of the framing and
  // Referer rules here: one place decides each of its headers.
  async headers() {
    return [
      { source: '/:path*', headers: [{ key: 'X-Content-Type-Options', value: 'nosniff' }] },
      {
        source: '/((?!checkout/).*)',
        headers: [
          { key: 'X-Frame-Options', value: 'DENY' },
          { key: 'Referrer-Policy', value: 'same-origin' },
        ],
      },
    ];
  },
};

export default nextConfig;
