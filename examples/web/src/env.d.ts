/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** The gateway to use when the page's URL names none (`?gateway=`); read at build time. */
  readonly VITE_GATEWAY_URL?: string;
}
