// The port through which Kuan's events (the transactional outbox: loan events from the close and the
// payment path, complaint breaches, …) reach other systems. A sink takes a batch and resolves once the
// batch is durably handed over; it must tolerate seeing an event twice (delivery is at least once).
export interface PublishedEvent {
  /** Stable and unique: the same event always carries the same id. */
  id: string;
  kind: string;
  borrowerId: string;
  loanId: string | null;
  businessDate: string;
  payload: unknown;
}

export interface EventSink {
  name: string;
  publish(events: readonly PublishedEvent[]): Promise<void>;
  close?(): Promise<void>;
}
