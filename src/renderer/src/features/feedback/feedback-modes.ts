// The feedback modes as people read them.
import type { FeedbackMode } from '#shared/contract/settings.ts'

export const FEEDBACK_MODE_LABELS: Record<FeedbackMode, { label: string; title: string }> = {
  live: { label: 'Live score', title: 'The score after every stroke' },
  'on-evaluate': {
    label: 'Score on Evaluate',
    title: 'The score stays hidden until you evaluate (Tab): look at the reference, not at the number'
  },
  memory: {
    label: 'Memory drawing',
    title: 'The reference shows for a while, then hides with the score until you evaluate'
  }
}
