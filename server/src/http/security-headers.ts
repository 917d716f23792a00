/**
 * HTTP security headers (helmet), with a Content-Security-Policy that the built client
 * satisfies: Vite emits one module script and one stylesheet from 'self'; Svelte sets
 * `style` attributes (style={…} on components), which CSP counts as inline styles, hence
 * 'unsafe-inline' for styles only (styles cannot run code); the socket connects to the
 * same origin ('self' covers ws: and wss: there); the QR code is inline SVG, and data:
 * images are allowed for it should it become an <img>. No inline script is allowed at all.
 */
import helmet from 'helmet';

export function securityHeaders() {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        scriptSrcAttr: ["'none'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'self'"],
        // Not upgrade-insecure-requests: a classroom server often runs on plain http on
        // the local network, where upgrading every request to https would break the app.
      },
    },
    // Same reason: HSTS only makes sense once a deployment is https for good, which is
    // the reverse proxy's decision, not this server's.
    strictTransportSecurity: false,
  });
}
