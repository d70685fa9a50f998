import { z } from 'zod';

export const USERNAME_MIN = 3;
export const USERNAME_MAX = 32;
export const PASSWORD_MIN = 8;
/** argon2 takes any length, but a megabyte password is a denial of service, not a password. */
export const PASSWORD_MAX = 256;

export const usernameSchema = z
  .string()
  .trim()
  .min(USERNAME_MIN, `Usernames are at least ${USERNAME_MIN} characters.`)
  .max(USERNAME_MAX, `Usernames are at most ${USERNAME_MAX} characters.`)
  .regex(
    /^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?$/,
    'Use letters, digits, dots, dashes and underscores, starting and ending with a letter or digit.',
  );

export const passwordSchema = z
  .string()
  .min(PASSWORD_MIN, `Passwords are at least ${PASSWORD_MIN} characters.`)
  .max(PASSWORD_MAX, `Passwords are at most ${PASSWORD_MAX} characters.`);

export const registerInput = z
  .object({
    username: usernameSchema,
    password: passwordSchema,
    passwordRepeat: z.string().max(PASSWORD_MAX, `Passwords are at most ${PASSWORD_MAX} characters.`),
  })
  .refine((v) => v.password === v.passwordRepeat, {
    message: 'The two passwords do not match.',
    path: ['passwordRepeat'],
  });
export type RegisterInput = z.infer<typeof registerInput>;

/** Login checks no rules beyond sizes: a rule broken here would tell which usernames cannot exist. */
export const loginInput = z.object({
  username: z
    .string()
    .trim()
    .min(1, 'Enter your username.')
    .max(USERNAME_MAX * 4, 'That username is too long.'),
  password: z
    .string()
    .min(1, 'Enter your password.')
    .max(PASSWORD_MAX, `Passwords are at most ${PASSWORD_MAX} characters.`),
});
export type LoginInput = z.infer<typeof loginInput>;

export const changePasswordInput = z.object({
  current: z
    .string()
    .min(1, 'Enter your current password.')
    .max(PASSWORD_MAX, `Passwords are at most ${PASSWORD_MAX} characters.`),
  next: passwordSchema,
});
