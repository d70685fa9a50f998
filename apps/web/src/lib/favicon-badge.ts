/**
 * The favicon with the unread count: the app's icon drawn on a canvas with a
 * red badge in its corner, put in place of the `<link rel="icon">` while
 * something is unread, and the plain icon back at zero.
 */
import { createEffect, createRoot } from 'solid-js';

const SIZE = 64;
const PLAIN = '/favicon.svg';

/** The badge's text: up to 99, then "99+" ("9+" would not fit a 16 px tab icon legibly either way). */
export function badgeText(count: number): string {
  return count > 99 ? '99+' : String(count);
}

let icon: HTMLImageElement | undefined;
let iconReady: Promise<HTMLImageElement | null> | undefined;

function loadIcon(): Promise<HTMLImageElement | null> {
  iconReady ??= new Promise((resolve) => {
    icon = new Image();
    icon.onload = () => resolve(icon ?? null);
    icon.onerror = () => resolve(null);
    icon.src = PLAIN;
  });
  return iconReady;
}

async function draw(count: number): Promise<string | null> {
  const canvas = document.createElement('canvas');
  canvas.width = SIZE;
  canvas.height = SIZE;
  const ctx = canvas.getContext('2d');
  if (!ctx) return null;
  const image = await loadIcon();
  if (image) ctx.drawImage(image, 0, 0, SIZE, SIZE);
  const text = badgeText(count);
  ctx.font = `bold ${text.length > 2 ? 26 : 34}px system-ui, sans-serif`;
  const width = Math.max(38, ctx.measureText(text).width + 14);
  const x = SIZE - width;
  ctx.fillStyle = '#dc2626';
  ctx.beginPath();
  ctx.roundRect(x, 0, width, 38, 19);
  ctx.fill();
  ctx.fillStyle = '#fff';
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  ctx.fillText(text, x + width / 2, 20);
  return canvas.toDataURL('image/png');
}

function iconLink(): HTMLLinkElement {
  let link = document.querySelector<HTMLLinkElement>('link[rel="icon"]');
  if (!link) {
    link = document.createElement('link');
    link.rel = 'icon';
    document.head.append(link);
  }
  return link;
}

let drawn = 0;

async function show(count: number): Promise<void> {
  const mine = ++drawn;
  const link = iconLink();
  if (count <= 0) {
    link.type = 'image/svg+xml';
    link.href = PLAIN;
    link.dataset.unread = '0';
    return;
  }
  const url = await draw(count).catch(() => null);
  if (mine !== drawn || !url) return; // a newer count won
  link.type = 'image/png';
  link.href = url;
  link.dataset.unread = String(count);
}

/** Keeps the favicon's badge at `unread` (call once, in the app's root). */
export function useFaviconCount(unread: () => number): void {
  createRoot(() => {
    createEffect(() => void show(unread()));
  });
}
