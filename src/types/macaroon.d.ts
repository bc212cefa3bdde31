// The part of js-macaroon (package "macaroon") the service uses; it ships no types.
declare module 'macaroon' {
  export interface Caveat {
    identifier: Uint8Array;
    location?: string;
    /** Present on third-party caveats only. */
    vid?: Uint8Array;
  }
  export interface Macaroon {
    readonly caveats: Caveat[];
    readonly location: string;
    readonly identifier: Uint8Array;
    readonly signature: Uint8Array;
    addFirstPartyCaveat(condition: string | Uint8Array): void;
    clone(): Macaroon;
    verify(rootKey: Uint8Array, check: (condition: string) => string | null, discharges?: Macaroon[]): void;
    exportBinary(): Uint8Array;
  }
  export function newMacaroon(params: {
    identifier: string | Uint8Array;
    location?: string;
    rootKey: string | Uint8Array;
    version?: 1 | 2;
  }): Macaroon;
  export function importMacaroon(data: string | Uint8Array | object): Macaroon;
  const _default: {
    newMacaroon: typeof newMacaroon;
    importMacaroon: typeof importMacaroon;
  };
  export default _default;
}
