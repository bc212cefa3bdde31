import { Inject, Injectable, Logger } from '@nestjs/common';
import type { MembershipRequestRecord } from './membership-requests.repository.js';

/** What happened to a membership request, as a host's onMarketplaceEvent hears it (after the change is committed). */
export type MarketplaceEvent =
  | {
      type: 'membership_requested';
      spaceId: string;
      requestId: string;
      userId: string;
      /** A repetition of a pending request (same requestId). */
      reminder: boolean;
      /** The space's marketplaceContactEmail. */
      spaceContactEmail: string;
      requesterContactEmail: string;
      message: string;
    }
  | {
      type: 'membership_request_resolved';
      spaceId: string;
      requestId: string;
      userId: string;
      requesterContactEmail: string;
      decision: 'grant' | 'reject';
      /** "" with `grant`. */
      rejectionReason: string;
    }
  | {
      type: 'membership_request_cancelled';
      spaceId: string;
      requestId: string;
      userId: string;
      requesterContactEmail: string;
      reason: 'space_deleted' | 'space_unadvertised';
    };

/** A host's listener: called after commit, on a best-effort basis (errors are logged, never answered). */
export type MarketplaceEventListener = (event: MarketplaceEvent) => void | Promise<void>;

export const MARKETPLACE_EVENT_LISTENER = Symbol('MarketplaceEventListener');

/**
 * Where Marketplace events go instead of mail: one `info` log line each
 * (IDs only, never addresses or messages), and the host's listener if it
 * gave one (SpacesModule's `onMarketplaceEvent`).
 */
@Injectable()
export class MarketplaceEvents {
  private readonly log = new Logger('Marketplace');

  constructor(@Inject(MARKETPLACE_EVENT_LISTENER) private readonly listener: MarketplaceEventListener | null) {}

  /** The requests a space's un-advertising or deletion cancelled (after commit). */
  cancelled(requests: readonly MembershipRequestRecord[], reason: 'space_deleted' | 'space_unadvertised'): void {
    for (const r of requests) {
      this.emit({
        type: 'membership_request_cancelled',
        spaceId: r.spaceId,
        requestId: r.id,
        userId: r.userId,
        requesterContactEmail: r.contactEmail,
        reason,
      });
    }
  }

  /** Call after the change committed. */
  emit(event: MarketplaceEvent): void {
    const detail =
      event.type === 'membership_requested'
        ? ` reminder=${event.reminder}`
        : event.type === 'membership_request_resolved'
          ? ` decision=${event.decision}`
          : ` reason=${event.reason}`;
    this.log.log(`${event.type} space=${event.spaceId} request=${event.requestId} user=${event.userId}${detail}`);
    const listener = this.listener;
    if (!listener) return;
    Promise.resolve()
      .then(() => listener(event))
      .catch((error: unknown) =>
        this.log.warn(`onMarketplaceEvent failed on ${event.type}: ${(error as Error)?.message ?? String(error)}`),
      );
  }
}
