/**
 * What a screen reader is told of messages that arrive in the open chat
 * (issue 30): one polite announcement per short burst, never one per message
 * of a busy group. Pure.
 */
import { namesList } from './system-line';

export interface Arrival {
  /** The sender's name as the chat shows it. */
  sender: string;
  /** The message's text, or null for one with only images or files. */
  text: string | null;
  /** How many images and files it carries. */
  files: number;
}

/** The longest text read out for a single message; the rest is in the list. */
const TEXT_MAX = 140;

function said(arrival: Arrival): string {
  const text = arrival.text?.replace(/\s+/g, ' ').trim();
  if (text) return text.length > TEXT_MAX ? `${text.slice(0, TEXT_MAX - 1)}…` : text;
  if (arrival.files === 1) return 'sent an attachment';
  return `sent ${arrival.files} attachments`;
}

/** "New message from Ann: hello", "3 new messages from Ann", "5 new messages from Ann, Ben and Cal"; "" for none. */
export function announcement(arrivals: readonly Arrival[]): string {
  const [only] = arrivals;
  if (!only) return '';
  if (arrivals.length === 1) {
    const words = said(only);
    return words.startsWith('sent ') ? `${only.sender} ${words}` : `New message from ${only.sender}: ${words}`;
  }
  const senders = [...new Set(arrivals.map((a) => a.sender))];
  return `${arrivals.length} new messages from ${namesList(senders)}`;
}
